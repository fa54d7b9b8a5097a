import { Form } from 'antd';
import type { ReactNode } from 'react';
import type { FieldError } from 'react-hook-form';

/** An antd form row whose error text comes from react-hook-form (and so from the zod schema). */
export function FormField({
  label,
  error,
  required,
  htmlFor,
  children,
}: {
  label: string;
  error?: FieldError | undefined;
  required?: boolean;
  /** The control's id, so that clicking the label focuses it (antd only infers it for Form-managed fields). */
  htmlFor?: string;
  children: ReactNode;
}) {
  return (
    <Form.Item label={label} required={required} htmlFor={htmlFor} validateStatus={error ? 'error' : ''} help={error?.message}>
      {children}
    </Form.Item>
  );
}
