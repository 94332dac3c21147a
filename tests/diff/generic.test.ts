import { describe, expect, it } from "vitest";
import { diffTables, personalKind, sameValue } from "../../src/diff/generic.js";
import { UserError } from "../../src/model/errors.js";
import { table } from "./builders.js";

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("expected a UserError");
}

const OLD = table(
  `
户编号,家庭人口数,人均纯收入,村
001,3,5200.50,东村
002,4,8000,西村
003,2,6100,南村
`,
  "old.csv",
);
const NEW = table(
  `
村,人均纯收入,户编号,家庭人口数
东村,5200.5,001,3
西村,7600,002,5
北村,4000,004,1
`,
  "new.csv",
);

describe("diffTables (--key COL --fields A,B)", () => {
  it("compares tables with different column orders on the key and the listed fields", () => {
    const d = diffTables(OLD, NEW, { key: "户编号", fields: ["家庭人口数", "人均纯收入"] });
    expect(d.fields).toEqual(["家庭人口数", "人均纯收入"]);
    expect(d.changes).toEqual([
      { key: "004", kind: "entered", changedFields: [], old: undefined, new: ["1", "4000"] },
      { key: "003", kind: "exited", changedFields: [], old: ["2", "6100"], new: undefined },
      { key: "002", kind: "changed", changedFields: ["家庭人口数", "人均纯收入"], old: ["4", "8000"], new: ["5", "7600"] },
    ]);
    expect(d.counts).toEqual({ entered: 1, exited: 1, changed: 1, unchanged: 1 });
    expect(d.byField).toEqual([1, 1]);
    expect(d.old).toEqual({ file: "old.csv", sheet: "", headerRow: 1, rows: 3, rowsWithoutKey: [] });
  });

  it("a table compared with itself has no changes", () => {
    const d = diffTables(NEW, NEW, { key: "户编号", fields: undefined });
    expect(d.changes).toEqual([]);
    expect(d.counts).toEqual({ entered: 0, exited: 0, changed: 0, unchanged: 3 });
  });

  it("without --fields compares every column both tables have, in OLD's order", () => {
    const d = diffTables(OLD, table("户编号,村,备注\n001,东村,x"), { key: "户编号", fields: undefined });
    expect(d.fields).toEqual(["村"]);
  });

  it("refuses a key column missing on one side, naming the file and column (exit 2)", () => {
    const err = thrown(() => diffTables(OLD, table("编号,村\n1,东村", "new.csv"), { key: "户编号", fields: ["村"] }));
    expect(err.code).toBe("column_missing");
    expect(err.exitCode).toBe(2);
    expect(err.context).toEqual({ file: "new.csv", column: "户编号" });
    expect(err.message).toBe('new.csv: no column "户编号" (the --key column) in its first 20 rows\nits first row has: 编号, 村');
  });

  it("refuses a --fields column missing on one side (exit 2)", () => {
    const err = thrown(() => diffTables(OLD, NEW, { key: "户编号", fields: ["村", "状态"] }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('old.csv: no column "状态" (from --fields) in its header row 1\nits columns are: 户编号, 家庭人口数, 人均纯收入, 村');
  });

  it("stops on duplicate keys with their rows (exit 1)", () => {
    const err = thrown(() => diffTables(OLD, table("户编号,村\n001,东村\n001,西村", "dup.csv"), { key: "户编号", fields: ["村"] }));
    expect(err.code).toBe("duplicate_key");
    expect(err.exitCode).toBe(1);
    expect(err.message.split("\n")[0]).toBe("dup.csv: column 户编号 must identify one row, but 1 value occurs more than once: 001 (rows 2, 3)");
  });

  it("masks names and ID numbers in the result and in duplicate-key errors", () => {
    const before = table("证件号码,姓名,健康状况\n130434199001011234,张三丰,健康");
    const after = table("证件号码,姓名,健康状况\n130434199001011234,张三丰,患有大病\n13043419900101999X,李四,健康");
    const d = diffTables(before, after, { key: "证件号码", fields: ["姓名", "健康状况"] });
    expect(d.changes).toEqual([
      { key: "130434********999X", kind: "entered", changedFields: [], old: undefined, new: ["李*", "健康"] },
      { key: "130434********1234", kind: "changed", changedFields: ["健康状况"], old: ["张**", "健康"], new: ["张**", "患有大病"] },
    ]);
    const err = thrown(() => diffTables(before, table("证件号码\n130434199001011234\n130434199001011234"), { key: "证件号码", fields: [] }));
    expect(err.message).toContain("130434********1234 (rows 2, 3)");
    expect(err.message).not.toContain("130434199001011234");
    const byName = thrown(() => diffTables(before, table("姓名,健康状况\n张三丰,健康\n张三丰,健康"), { key: "姓名", fields: [] }));
    expect(byName.message).toContain("张** (rows 2, 3)");
    expect(byName.message).not.toContain("张三");
  });
});

describe("sameValue", () => {
  it.each([
    ["1234.50", "1234.5", true],
    ["3", "3.0", true],
    ["-0.5", "-0.50", true],
    ["0123", "123", false],
    ["abc", "abc", true],
    ["", "0", false],
    ["1,234", "1234", false],
  ])("%j and %j → %s", (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
  });
});

describe("personalKind", () => {
  it.each([
    ["户主姓名", "name"],
    ["name", "name"],
    ["身份证号", "id"],
    [" 证件号码 ", "id"],
    ["户编号", undefined],
  ])("%j → %s", (header, kind) => {
    expect(personalKind(header)).toBe(kind);
  });
});
