import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { Ui, resolveUiOptions } from "../../src/cli/ui.js";

describe("colour and spinner (cli.md)", () => {
  it.each([
    ["a terminal", {}, {}, true, { color: true, interactive: true }],
    ["no terminal (cron)", {}, {}, false, { color: false, interactive: false }],
    ["NO_COLOR set (even empty)", {}, { NO_COLOR: "" }, true, { color: false, interactive: true }],
    ["TERM=dumb", {}, { TERM: "dumb" }, true, { color: false, interactive: false }],
    ["--no-color", { color: false }, {}, true, { color: false, interactive: true }],
    ["CI set", {}, { CI: "true" }, true, { color: true, interactive: false }],
    ["--quiet", { quiet: true }, {}, true, { color: true, interactive: false }],
  ])("%s", (_, flags, env, tty, expected) => {
    expect(resolveUiOptions(flags, env as NodeJS.ProcessEnv, tty)).toMatchObject(expected);
  });

  it("a terminal of 0 columns (a pty before its size is set) gets colour but no spinner: ora would clear lines forever", () => {
    expect(resolveUiOptions({}, {}, true, 0)).toMatchObject({ color: true, interactive: false });
    expect(resolveUiOptions({}, {}, true, 100)).toMatchObject({ color: true, interactive: true });
  });
});

describe("stderr lines", () => {
  function capture(quiet: boolean) {
    let text = "";
    const stream = new Writable({ write: (chunk, _e, cb) => ((text += chunk.toString()), cb()) });
    const ui = new Ui({ quiet, color: false, interactive: false, debug: false }, stream);
    return { ui, text: () => text };
  }

  it("one plain line per phase, warnings and errors prefixed, no escape codes", () => {
    const { ui, text } = capture(false);
    ui.phase("reading inputs");
    ui.progress("1,000 rows");
    ui.warn("no --policy given");
    ui.error("a.xls: an old Excel workbook");
    expect(text()).toBe("reading inputs\nwarning: no --policy given\nerror: a.xls: an old Excel workbook\n");
  });

  it("--quiet keeps only errors", () => {
    const { ui, text } = capture(true);
    ui.phase("reading inputs");
    ui.info("done");
    ui.warn("careful");
    ui.error("failed");
    expect(text()).toBe("error: failed\n");
  });
});
