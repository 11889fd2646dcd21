import { Radio, Select } from 'antd';
import type { RadioGroupProps, SelectProps } from 'antd';

type Required = { 'aria-required'?: unknown };

/**
 * A select in a Form.Item whose rules require it. Form.Item hands its child `aria-required`, which Ant
 * Design's Select puts on its wrapping div, where ARIA does not allow it (axe: aria-allowed-attr); the
 * label's mark and the rule's message still say that it is required.
 */
export function RequiredSelect(props: SelectProps & Required) {
  const { 'aria-required': _required, ...rest } = props;
  void _required;
  return <Select {...rest} />;
}

/** A radio group in a Form.Item whose rules require it (as RequiredSelect). */
export function RequiredRadioGroup(props: RadioGroupProps & Required) {
  const { 'aria-required': _required, ...rest } = props;
  void _required;
  return <Radio.Group {...rest} />;
}
