import { Select, SelectProps } from 'antd';

/**
 * A select inside a Form.Item with a `name`: it takes the field's id, value and change handler only.
 * (Form.Item also hands its child aria-* attributes, which Ant Design's Select puts on its outer element,
 * a div without a role; axe-core refuses them there as aria-allowed-attr.)
 */
export function FieldSelect({
  id,
  value,
  onChange,
  options,
  placeholder,
}: Pick<SelectProps, 'id' | 'value' | 'onChange' | 'options' | 'placeholder'>) {
  return <Select id={id} value={value} onChange={onChange} options={options} placeholder={placeholder} />;
}

/** What an empty table says, in a colour that keeps its 4.5:1 contrast (the default placeholder's does not). */
export function emptyText(text: string) {
  return <span style={{ color: 'rgba(0, 0, 0, 0.68)' }}>{text}</span>;
}
