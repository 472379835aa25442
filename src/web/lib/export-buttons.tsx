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
}

/** "Export CSV · NDJSON": two small buttons that download what the panel shows. */
export function ExportButtons({ what, label, build, disabled, testId }: ExportButtonsProps) {
  const save = (format: ExportFormat) => downloadText(exportFileName(what, format, Date.now()), format, build(format));
  return (
    <span className="export-buttons" role="group" aria-label={`Export ${label}`} data-testid={testId}>
      <span aria-hidden="true">Export</span>
      <button
        type="button"
        className="export-buttons__button"
        disabled={disabled}
        onClick={() => save('csv')}
        aria-label={`Export ${label} as CSV`}
      >
        CSV
      </button>
      <button
        type="button"
        className="export-buttons__button"
        disabled={disabled}
        onClick={() => save('ndjson')}
        aria-label={`Export ${label} as NDJSON`}
      >
        NDJSON
      </button>
    </span>
  );
}
