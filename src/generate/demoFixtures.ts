/**
 * `npm run fixtures` entry (`node dist/generate/demoFixtures.js fixtures`): regenerates FOLDER/demo through the CLI,
 * exactly as `povwatch generate --demo --out FOLDER/demo` does. The only module of generate/ that runs anything;
 * the writing itself is io/writeExport.ts.
 */
import { main } from "../cli/main.js";

const folder = process.argv[2] ?? "fixtures";
main([process.argv[0]!, "povwatch", "generate", "--demo", "--out", `${folder.replace(/\/+$/, "")}/demo`]).then((code) => {
  process.exitCode = code;
});
