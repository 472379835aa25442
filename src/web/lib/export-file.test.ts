import { describe, expect, it } from 'vitest';
import { csvCell, exportFileName, toCsv, toNdjson } from './export-file.ts';

describe('exports', () => {
  it('writes RFC 4180 CSV: quotes what needs it, doubles quotes, CRLF lines', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [1, undefined],
          ['line\nbreak', true],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n"line\nbreak",true\r\n');
  });

  it('never writes a cell a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    // Numbers are numbers, negative ones included.
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(['purchase', 'event1'])).toBe('purchase;event1');
  });

  it('writes one JSON object per line, exact ids kept as strings', () => {
    expect(toNdjson([{ hitId: '2948027281753079808-9000000000000000001' }, { n: 1 }])).toBe(
      '{"hitId":"2948027281753079808-9000000000000000001"}\n{"n":1}\n',
    );
  });

  it('names a file by what it holds and when, in UTC', () => {
    expect(exportFileName('feed', 'csv', Date.UTC(2026, 10, 30, 15, 40, 5, 123))).toBe(
      'livestream-feed-20261130T154005Z.csv',
    );
  });
});
