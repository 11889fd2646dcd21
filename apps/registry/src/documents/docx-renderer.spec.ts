import { unzip } from '../../../../test/support/docx-text';
import { listingDecisionText, repairNoticeText } from './document-texts';
import { chinaTime as at, entryFacts } from './document-texts.test-support';
import { renderDocx } from './docx-renderer';
import { renderDocxWithLibrary } from './docx-renderer.test-support';

// what the `xml` package escapes, in the issuer (written into the core properties too) and a paragraph
const entry = entryFacts({
  ownerName: '杭州市西湖区人民法院 & <仲裁> "委员会"',
  criteria: "有履行能力而拒不履行 'a' > b",
});

/** The package's parts as text, the core properties' times left out (they are the time of writing). */
function parts(docx: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, content] of unzip(docx))
    out.set(name, content.toString('utf8').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME'));
  return out;
}

describe('the DOCX template (decision 0064)', () => {
  it.each([
    ['a listing decision', listingDecisionText(entry, at('2026-11-03T09:00:01'))],
    [
      'a repair notice',
      repairNoticeText(
        entry,
        {
          repairable: true,
          earliestRepairDate: at('2027-11-03T00:00:00'),
          minRepairDays: 365,
          conditions: [{ code: 'PERFORMED', text: '已履行义务' }],
          commitmentRequired: true,
          acceptWorkingDays: 2,
          decideWorkingDays: 5,
        },
        at('2026-11-03T09:00:01'),
      ),
    ],
  ])('writes the parts the docx package writes for %s', async (_, text) => {
    const fromTemplate = parts(await renderDocx(text));
    const fromLibrary = parts(await renderDocxWithLibrary(text));
    expect([...fromTemplate.keys()]).toEqual([...fromLibrary.keys()]);
    for (const [name, content] of fromLibrary) expect(fromTemplate.get(name)).toBe(content);
  });

  it('writes the time of writing into the core properties', async () => {
    const docx = await renderDocx(
      listingDecisionText(entry, at('2026-11-03T09:00:01')),
      new Date('2026-11-03T01:00:02Z'),
    );
    expect(unzip(docx).get('docProps/core.xml')!.toString('utf8')).toContain(
      '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-03T01:00:02.000Z</dcterms:modified>',
    );
  });
});
