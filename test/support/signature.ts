/** A plausible handwritten signature: strokes with timing, and a tiny valid PNG to go with it. */
export function fakeSignature(signerName: string) {
  const stroke = (y0: number, n: number) => Array.from({ length: n }, (_, i) => ({ x: 20 + i * 7, y: y0 + Math.sin(i / 2) * 12, t: i * 15, pressure: 0.5 }));
  return {
    signerName,
    strokes: [stroke(40, 30), stroke(70, 25)],
    // 1×1 transparent PNG
    png: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  };
}
