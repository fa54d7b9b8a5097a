export { CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE, findChromium } from '../../scripts/chromium.mjs';
