/**
 * A full disk for end-to-end tests, preloaded with NODE_OPTIONS=--import=<this file's URL>: every write stream whose
 * path contains POVWATCH_TEST_FULL_DISK (e.g. "audit.csv") fails its first write with ENOSPC, as a disk that filled
 * up. Other files are written as usual. Plain JavaScript: node loads it before the CLI, without vitest.
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { Writable } from "node:stream";

const part = process.env.POVWATCH_TEST_FULL_DISK;
if (part) {
  const original = fs.createWriteStream;
  fs.createWriteStream = (path, options) => {
    if (!String(path).includes(part)) return original(path, options);
    fs.writeFileSync(path, "");
    return new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", path: String(path) }));
      },
    });
  };
  syncBuiltinESMExports();
}
