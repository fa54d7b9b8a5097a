/**
 * One side of the import comparison, in a process of its own (see cases/import.ts): bundled apart
 * from the benchmark, so the process holds the app's code and nothing of the other cases, as the
 * app's own process does. Prints its measurement as one JSON line.
 */
import { importChild } from './cases/import';

importChild(process.argv[2]!, process.argv[3]!).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
