export function findChromium(): string | null;
export const NO_CHROMIUM_MESSAGE: string;
export const CHROMIUM_ARGS: string[];
