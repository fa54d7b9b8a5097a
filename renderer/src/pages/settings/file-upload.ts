/**
 * Reads a file the user picked as base64, the form `calendar.import` and `questionnaire.import`
 * take (the same payload travels over Electron IPC and the HTTP bridge). FileReader rather than
 * Buffer because the renderer has no Node.
 */
export function readFileAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      // A data URL is "data:<type>;base64,<payload>"; main wants the payload only.
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
