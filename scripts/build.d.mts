export function build(options?: { force?: boolean; quiet?: boolean }): Promise<void>;
