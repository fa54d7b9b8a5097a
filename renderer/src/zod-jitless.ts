import { z } from 'zod';

// zod probes `new Function` to decide whether to compile its parsers; under our CSP (no
// 'unsafe-eval') the probe fails quietly but Chromium still reports a script-src violation.
// Imported first in main.tsx, before any schema is built, so the probe never runs.
z.config({ jitless: true });
