// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from '../stores/app-store';
import { REVEAL_SECONDS, RevealField } from './RevealField';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLDivElement;
let sent: { method: string; input: unknown }[];

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  // antd asks for media queries and watches sizes; jsdom has neither.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, onchange: null, dispatchEvent: () => false })) as typeof window.matchMedia;
  sent = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = decodeURIComponent(url.split('/api/')[1]!);
      const { input } = JSON.parse(String(init.body)) as { input: unknown };
      sent.push({ method, input });
      return new Response(JSON.stringify({ ok: true, value: { value: '13812345678' } }));
    }),
  );
  useAppStore.setState({ user: { id: 7, username: 'zhangli', displayName: '张莉', role: 'staff' } });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

/** Types into a React-controlled textarea as a person would. */
function type(el: HTMLTextAreaElement, text: string): void {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, text);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function settle(): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(50);
  });
}

describe('RevealField', () => {
  it('asks for a reason, reveals through main, and masks again after the time is up', async () => {
    act(() => root.render(createElement(RevealField, { customerId: 42, field: 'phone', masked: '138****5678' })));
    expect(byTestId('reveal-phone')!.textContent).toBe('138****5678');

    act(() => byTestId('reveal-phone-reveal')!.click());
    await settle();
    const ok = () => document.querySelector<HTMLButtonElement>('.ant-modal .ant-btn-primary')!;
    // One character is not a reason: main is not asked.
    type(document.querySelector<HTMLTextAreaElement>('#reveal-reason')!, '查');
    act(() => ok().click());
    await settle();
    expect(document.querySelector('.ant-modal')!.textContent).toContain('至少 2 个字');
    expect(sent).toEqual([]);

    type(document.querySelector<HTMLTextAreaElement>('#reveal-reason')!, '客户来电核对');
    await act(async () => {
      ok().click();
      await vi.advanceTimersByTimeAsync(50);
    });
    expect(sent).toEqual([{ method: 'customers.reveal', input: { customerId: 42, field: 'phone', reason: '客户来电核对' } }]);
    expect(byTestId('reveal-phone')!.textContent).toBe('13812345678');

    await act(async () => {
      await vi.advanceTimersByTimeAsync((REVEAL_SECONDS - 1) * 1000);
    });
    expect(byTestId('reveal-phone')!.textContent).toBe('13812345678');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1500);
    });
    expect(byTestId('reveal-phone')!.textContent).toBe('138****5678');
  });

  it('offers no 查看 to a role main would refuse, nor for a number that is not on file', () => {
    useAppStore.setState({ user: { id: 1, username: 'admin', displayName: '管理员', role: 'admin' } });
    act(() => root.render(createElement(RevealField, { customerId: 42, field: 'idNumber', masked: '110101********1234' })));
    expect(byTestId('reveal-idNumber')!.textContent).toBe('110101********1234');
    expect(byTestId('reveal-idNumber-reveal')).toBeNull();

    act(() => useAppStore.setState({ user: { id: 7, username: 'zhangli', displayName: '张莉', role: 'staff' } }));
    act(() => root.render(createElement(RevealField, { customerId: 42, field: 'phone', masked: '' })));
    expect(byTestId('reveal-phone')!.textContent).toBe('—');
    expect(byTestId('reveal-phone-reveal')).toBeNull();
  });
});
