import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { DocumentText } from './document-texts';

/** 仿宋 for the body and 黑体 for headings, as official documents are set; fallbacks are the reader's. */
const BODY_FONT = { ascii: 'FangSong', eastAsia: '仿宋', hAnsi: 'FangSong' };
const HEADING_FONT = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };

/** A document's text as a DOCX file a person can open and print (the `docx` package). */
export async function renderDocx(text: DocumentText): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: text.issuer, font: HEADING_FONT, size: 32 })],
    }),
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: text.title, font: HEADING_FONT, size: 40, bold: true })],
    }),
  ];
  for (const section of text.sections) {
    if (section.heading) {
      children.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_2,
          spacing: { before: 240 },
          children: [new TextRun({ text: section.heading, font: HEADING_FONT, size: 30 })],
        }),
      );
    }
    for (const p of section.paragraphs) {
      children.push(
        new Paragraph({
          indent: { firstLine: 640 },
          children: [new TextRun({ text: p, font: BODY_FONT, size: 30 })],
        }),
      );
    }
  }
  for (const line of text.signature) {
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing: { before: line === text.signature[0] ? 480 : 0 },
        children: [new TextRun({ text: line, font: BODY_FONT, size: 30 })],
      }),
    );
  }
  const doc = new Document({
    creator: text.issuer,
    title: text.title,
    lastModifiedBy: text.issuer,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
