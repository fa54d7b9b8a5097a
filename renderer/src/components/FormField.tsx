import { Form } from 'antd';
import type { ReactNode } from 'react';
import type { FieldError } from 'react-hook-form';

/** An antd form row whose error text comes from react-hook-form (and so from the zod schema). */
export function FormField({ label, error, children }: { label: string; error?: FieldError | undefined; children: ReactNode }) {
  return (
    <Form.Item label={label} validateStatus={error ? 'error' : ''} help={error?.message}>
      {children}
    </Form.Item>
  );
}
