import { config } from 'zod/v4/core';

// zod probes `new Function` to decide whether to compile its parsers; under our CSP (no
// 'unsafe-eval') the probe fails quietly but Chromium still reports a script-src violation.
// Imported first in main.tsx, before any schema is built, so the probe never runs. Through
// zod's core (the same global config) so that the sign-in screen's script does not carry all
// of zod: the schemas arrive later, with the code that uses them.
config({ jitless: true });
