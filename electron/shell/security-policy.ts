/**
 * The Content-Security-Policy of the UI, the same in the desktop window and in browser mode.
 * antd's CSS-in-JS injects <style> elements, hence 'unsafe-inline' for styles only; scripts come
 * from the app's own files and nowhere else.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // Recorded explanations play from data: URLs in an <audio> element.
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
