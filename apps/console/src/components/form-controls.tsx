import { useQuery } from '@tanstack/react-query';
import { Radio, Select } from 'antd';
import type { RadioGroupProps, SelectProps } from 'antd';
import { request } from '../api/client';
import type { Page } from '../lib/use-cursor';

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

/** The registered departments, as "名称（代码）", searchable; required like RequiredSelect. */
export function DepartmentSelect(props: Omit<SelectProps, 'options'> & Required) {
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => request<Page<{ code: string; name: string }>>('GET', '/v1/departments'),
  });
  return (
    <RequiredSelect
      showSearch
      optionFilterProp="label"
      options={(departments.data?.items ?? []).map((d) => ({
        value: d.code,
        label: `${d.name}（${d.code}）`,
      }))}
      {...props}
    />
  );
}
