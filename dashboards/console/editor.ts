// The SQL editor: CodeMirror 6 with DuckDB-friendly highlighting, completion from the catalog, Ctrl/Cmd+Enter to run.
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import type { CatalogTables } from './api.ts';

const theme = EditorView.theme(
  {
    '&': { height: '100%', backgroundColor: '#0a1019', color: '#e6edf6', fontSize: '13.5px' },
    '.cm-content': {
      fontFamily: "ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      caretColor: '#4cc2ff',
    },
    '.cm-gutters': { backgroundColor: '#080d14', color: '#5d6e84', borderRight: '1px solid #1e2b3c' },
    '.cm-activeLine': { backgroundColor: '#0f1824' },
    '.cm-activeLineGutter': { backgroundColor: '#0f1824' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
      backgroundColor: '#1d3b5a !important',
    },
    '.cm-cursor': { borderLeftColor: '#4cc2ff' },
    '.cm-tooltip': { backgroundColor: '#0f1722', border: '1px solid #2b3d54', color: '#e6edf6' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#1d3b5a', color: '#fff' },
    '.cm-completionDetail': { color: '#8fa1b8' },
    '.cm-diagnostic-error': { borderLeft: '3px solid #ef4444' },
    '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy #ef4444' },
  },
  { dark: true },
);

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7cc4ff', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: '#a5e3a0' },
  { tag: [t.number, t.bool, t.null], color: '#f5b041' },
  { tag: t.comment, color: '#5d6e84', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.standard(t.name)], color: '#d2a8ff' },
  { tag: [t.typeName, t.className], color: '#38d0e0' },
  { tag: t.operator, color: '#c9d4e3' },
  { tag: [t.special(t.name), t.variableName], color: '#e6edf6' },
]);

export interface SqlEditor {
  view: EditorView;
  text(): string;
  setText(sql: string): void;
  setCatalog(tables: CatalogTables): void;
  /** Marks where DuckDB stopped (a character offset), or clears the mark. */
  markError(position: number | null, message: string): void;
}

export function createEditor(parent: HTMLElement, initial: string, onRun: () => void): SqlEditor {
  const language = new Compartment();
  const run = Prec.highest(
    keymap.of([
      {
        key: 'Mod-Enter',
        preventDefault: true,
        run: () => {
          onRun();
          return true;
        },
      },
    ]),
  );
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        run,
        basicSetup,
        language.of(sql({ dialect: PostgreSQL, upperCaseKeywords: true })),
        theme,
        syntaxHighlighting(highlight),
        EditorView.lineWrapping,
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setCatalog(tables) {
      const schema: SQLNamespace = Object.fromEntries(
        tables.map((tb) => [tb.name, tb.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type }))]),
      );
      view.dispatch({ effects: language.reconfigure(sql({ dialect: PostgreSQL, upperCaseKeywords: true, schema })) });
    },
    markError(position, message) {
      if (position === null) {
        view.dispatch(setDiagnostics(view.state, []));
        return;
      }
      const doc = view.state.doc;
      const from = Math.min(position, doc.length);
      const word = /^[\w$."]+/.exec(doc.sliceString(from, Math.min(doc.length, from + 64)));
      const to = Math.min(doc.length, from + Math.max(1, word?.[0].length ?? 1));
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: 'error', message }]));
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    },
  };
}
