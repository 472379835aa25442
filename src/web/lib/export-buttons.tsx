import { downloadText, exportFileName, type ExportFormat } from './export-file.ts';

export interface ExportButtonsProps {
  /** What is exported, in the buttons' accessible names and the file name: `feed`, `top-15min`. */
  what: string;
  /** Spoken name of the data: "the feed's 120 hits shown". */
  label: string;
  /** Makes the file's text when a button is pressed (so nothing is built before it is wanted). */
  build: (format: ExportFormat) => string;
  disabled?: boolean;
  testId?: string;
  /** The formats offered. Default CSV and NDJSON. */
  formats?: readonly ExportFormat[];
}

const FORMATS: readonly { format: ExportFormat; name: string }[] = [
  { format: 'csv', name: 'CSV' },
  { format: 'ndjson', name: 'NDJSON' },
];

/** Builds the file for `format` and hands it to the browser, named for what it is and when. */
function save(what: string, format: ExportFormat, build: (format: ExportFormat) => string): void {
  downloadText(exportFileName(what, format, Date.now()), format, build(format));
}

/** "Export CSV · NDJSON": two small buttons that download what the panel shows. */
export function ExportButtons({ what, label, build, disabled, testId, formats }: ExportButtonsProps) {
  return (
    <span className="export-buttons" role="group" aria-label={`Export ${label}`} data-testid={testId}>
      <span aria-hidden="true">Export</span>
      {FORMATS.filter((f) => !formats || formats.includes(f.format)).map(({ format, name }) => (
        <button
          key={format}
          type="button"
          className="export-buttons__button"
          disabled={disabled}
          onClick={() => save(what, format, build)}
          aria-label={`Export ${label} as ${name}`}
        >
          {name}
        </button>
      ))}
    </span>
  );
}
