import { App, Form, Modal, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import type { ReactNode } from 'react';
import type { MutationForm } from '../lib/use-mutation-form';
import { ANSWER_LABELS } from '../lib/record';
import { ProblemAlert } from './common';

/**
 * A form in a dialog that sends one request: the problem stays in the dialog (ProblemAlert), the button
 * spins while it is sent, and an act that cannot be undone is asked once more (`confirm`).
 */
export function FormModal<V extends object>({
  open,
  title,
  okText,
  onClose,
  form,
  mutation,
  confirm,
  initialValues,
  preface,
  children,
}: {
  open: boolean;
  title: ReactNode;
  okText: string;
  onClose: () => void;
  form: FormInstance<V>;
  /** useMutationForm's result; its onSuccess resets the form and closes the dialog */
  mutation: MutationForm<V, unknown>;
  /** the question asked before sending, for the values given (none: sent at once) */
  confirm?: (values: V) => string;
  initialValues?: Partial<V>;
  /** what the dialog shows above the form (the statement answered, the application decided…) */
  preface?: ReactNode;
  children: ReactNode;
}) {
  const { modal } = App.useApp();
  const close = () => {
    mutation.setError(undefined);
    onClose();
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText="取消"
      confirmLoading={mutation.busy}
      onCancel={close}
      onOk={() => form.submit()}
      destroyOnClose
    >
      <ProblemAlert error={mutation.error} />
      {preface}
      <Form<V>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) =>
          confirm
            ? modal.confirm({
                title: confirm(values),
                okText: '确定',
                cancelText: '取消',
                onOk: () => mutation.run(values),
              })
            : mutation.run(values)
        }
      >
        {children}
      </Form>
    </Modal>
  );
}

/** A list's status filter above its table: the statuses by their Chinese names, empty for all. */
export function StatusFilter({
  label,
  statuses,
  value,
  onChange,
  width = 160,
}: {
  label: string;
  statuses: readonly string[];
  value: string | undefined;
  onChange: (status: string | undefined) => void;
  width?: number;
}) {
  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <Select
        aria-label={label}
        allowClear
        placeholder="全部"
        value={value}
        onChange={onChange}
        style={{ width }}
        options={statuses.map((s) => ({ value: s, label: ANSWER_LABELS[s] ?? s }))}
      />
    </Space>
  );
}
