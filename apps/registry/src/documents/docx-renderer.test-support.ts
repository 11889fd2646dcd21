import { Document, Packer } from 'docx';
import { DocumentText } from './document-texts';
import { PARAGRAPHS, paragraphsOf } from './docx-renderer';

/**
 * The spec's oracle (decision 0064): a document's text as a DOCX through the `docx` package's object
 * model, the same paragraphs the template is cut from. Production renders from the template only.
 */
export async function renderDocxWithLibrary(text: DocumentText): Promise<Buffer> {
  const doc = new Document({
    creator: text.issuer,
    title: text.title,
    lastModifiedBy: text.issuer,
    sections: [{ children: paragraphsOf(text).map(([kind, t]) => PARAGRAPHS[kind](t)) }],
  });
  return Packer.toBuffer(doc);
}
