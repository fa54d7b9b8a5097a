import { useCallback, useEffect, useImperativeHandle, useRef, type PointerEvent as ReactPointerEvent, type Ref } from 'react';
import type { SignatureInput } from '../../../../shared/domain/visit';

export type Stroke = SignatureInput['strokes'][number];
type Point = Stroke[number];

export interface SignaturePadHandle {
  clear: () => void;
  strokes: () => Stroke[];
  /** The ink as drawn, on a transparent background, at the screen's pixel density. */
  toDataURL: () => string;
}

// The contract's limits (shared/domain/visit.ts signatureSchema): a longer stroke is continued as
// a new one rather than refused, and ink past the stroke limit is not recorded.
const MAX_POINTS_PER_STROKE = 5000;
const MAX_STROKES = 200;

/**
 * A handwriting pad in the manner of `signature_pad`, small enough to own: pointer events cover
 * mouse, pen and touch alike, every point keeps its time since the pad opened and the pen's
 * pressure (the strokes are evidence next to the image; main hashes both), and the canvas is
 * redrawn from the strokes when its size changes.
 */
export function SignaturePad({
  ref,
  disabled,
  onInk,
  testId,
}: {
  ref?: Ref<SignaturePadHandle>;
  disabled?: boolean;
  /** Called with the number of strokes whenever ink is added or cleared. */
  onInk?: (strokes: number) => void;
  testId?: string;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokesRef = useRef<Stroke[]>([]);
  const drawing = useRef<number | null>(null);
  const openedAt = useRef(0);

  const lineWidth = (p: Point) => 1.6 + (p.pressure ?? 0.5) * 2.2;

  const drawSegment = useCallback((ctx: CanvasRenderingContext2D, a: Point, b: Point) => {
    ctx.lineWidth = (lineWidth(a) + lineWidth(b)) / 2;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }, []);

  const context = useCallback((): CanvasRenderingContext2D | null => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return null;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.strokeStyle = '#10213f';
    ctx.fillStyle = '#10213f';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    return ctx;
  }, []);

  const redraw = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = context();
    if (!ctx) return;
    ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
    for (const s of strokesRef.current) {
      if (s.length === 1) {
        const p = s[0]!;
        ctx.beginPath();
        ctx.arc(p.x, p.y, lineWidth(p) / 2, 0, Math.PI * 2);
        ctx.fill();
      }
      for (let i = 1; i < s.length; i++) drawSegment(ctx, s[i - 1]!, s[i]!);
    }
  }, [context, drawSegment]);

  useEffect(() => {
    openedAt.current = performance.now();
    const canvas = canvasRef.current;
    if (!canvas) return;
    redraw();
    const ro = new ResizeObserver(() => redraw());
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [redraw]);

  useImperativeHandle(
    ref,
    () => ({
      clear: () => {
        strokesRef.current = [];
        redraw();
        onInk?.(0);
      },
      strokes: () => strokesRef.current.map((s) => s.map((p) => ({ ...p }))),
      toDataURL: () => canvasRef.current?.toDataURL('image/png') ?? '',
    }),
    [redraw, onInk],
  );

  const pointOf = (e: PointerEvent, canvas: HTMLCanvasElement): Point => {
    const rect = canvas.getBoundingClientRect();
    const p: Point = {
      x: Math.round((e.clientX - rect.left) * 10) / 10,
      y: Math.round((e.clientY - rect.top) * 10) / 10,
      t: Math.max(0, Math.round(performance.now() - openedAt.current)),
    };
    // A mouse reports a fixed 0.5 while pressed; only a pen's (or a pressure-sensing touch's) is real.
    if (e.pointerType !== 'mouse' && e.pressure > 0) p.pressure = Math.min(1, Math.max(0, e.pressure));
    return p;
  };

  const onDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (disabled || (e.pointerType === 'mouse' && e.button !== 0)) return;
    if (strokesRef.current.length >= MAX_STROKES) return;
    e.preventDefault();
    const canvas = e.currentTarget;
    canvas.setPointerCapture(e.pointerId);
    drawing.current = e.pointerId;
    strokesRef.current.push([pointOf(e.nativeEvent, canvas)]);
    redraw();
  };

  const onMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (drawing.current !== e.pointerId) return;
    e.preventDefault();
    const canvas = e.currentTarget;
    const ctx = context();
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const ev of events.length ? events : [e.nativeEvent]) {
      let stroke = strokesRef.current[strokesRef.current.length - 1]!;
      if (stroke.length >= MAX_POINTS_PER_STROKE) {
        if (strokesRef.current.length >= MAX_STROKES) return;
        stroke = [stroke[stroke.length - 1]!];
        strokesRef.current.push(stroke);
      }
      const p = pointOf(ev, canvas);
      const prev = stroke[stroke.length - 1]!;
      if (prev.x === p.x && prev.y === p.y) continue;
      stroke.push(p);
      if (ctx) drawSegment(ctx, prev, p);
    }
  };

  const onUp = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (drawing.current !== e.pointerId) return;
    drawing.current = null;
    onInk?.(strokesRef.current.length);
  };

  return (
    <div className={`signature-pad${disabled ? ' signature-pad-disabled' : ''}`}>
      <canvas
        ref={canvasRef}
        data-testid={testId}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
      />
      <div className="signature-pad-line" aria-hidden />
    </div>
  );
}
