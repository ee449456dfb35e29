import { main } from "./main.js";

/** Process entry (used by tests through tsx; `bin/memscan.js` does the same from `dist/`). */
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
