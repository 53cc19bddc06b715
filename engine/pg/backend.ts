// The messages the engine sends a PostgreSQL client beyond pg-gateway's own (errors, auth, ReadyForQuery), written
// with pg-protocol's Writer as pg-gateway writes its own.
import type { PostgresConnection } from 'pg-gateway';
import type { PgType } from './types.ts';

type Writer = PostgresConnection['writer'];

/** Backend message codes (pg-gateway declares them as a const enum, which isolated modules cannot read). */
const CODE = {
  parseComplete: 0x31,
  bindComplete: 0x32,
  closeComplete: 0x33,
  commandComplete: 0x43,
  dataRow: 0x44,
  emptyQuery: 0x49,
  backendKey: 0x4b,
  notice: 0x4e,
  rowDescription: 0x54,
  noData: 0x6e,
  portalSuspended: 0x73,
  parameterDescription: 0x74,
} as const;

export interface PgColumn {
  name: string;
  type: PgType;
}

export class Backend {
  constructor(private readonly writer: Writer) {}

  private empty(code: number): Buffer {
    return this.writer.flush(code);
  }

  parseComplete = (): Buffer => this.empty(CODE.parseComplete);
  bindComplete = (): Buffer => this.empty(CODE.bindComplete);
  closeComplete = (): Buffer => this.empty(CODE.closeComplete);
  noData = (): Buffer => this.empty(CODE.noData);
  portalSuspended = (): Buffer => this.empty(CODE.portalSuspended);
  emptyQuery = (): Buffer => this.empty(CODE.emptyQuery);

  commandComplete(tag: string): Buffer {
    return this.writer.addCString(tag).flush(CODE.commandComplete);
  }

  backendKey(pid: number, secret: number): Buffer {
    return this.writer.addInt32(pid).addInt32(secret).flush(CODE.backendKey);
  }

  parameterDescription(oids: readonly number[]): Buffer {
    this.writer.addInt16(oids.length);
    for (const oid of oids) this.writer.addInt32(oid);
    return this.writer.flush(CODE.parameterDescription);
  }

  /** Every column in text format (0): the one format every client reads. */
  rowDescription(columns: readonly PgColumn[]): Buffer {
    this.writer.addInt16(columns.length);
    for (const c of columns) {
      this.writer
        .addCString(c.name)
        .addInt32(0)
        .addInt16(0)
        .addInt32(c.type.oid)
        .addInt16(c.type.size)
        .addInt32(c.type.modifier)
        .addInt16(0);
    }
    return this.writer.flush(CODE.rowDescription);
  }

  dataRow(cells: readonly (string | null)[]): Buffer {
    this.writer.addInt16(cells.length);
    for (const cell of cells) {
      if (cell === null) this.writer.addInt32(-1);
      else this.writer.addInt32PrefixedString(cell);
    }
    return this.writer.flush(CODE.dataRow);
  }

  /** A warning the client shows without failing the statement (psql prints it; drivers log it). */
  notice(code: string, message: string): Buffer {
    this.writer.addString('S').addCString('WARNING').addString('V').addCString('WARNING');
    this.writer.addString('C').addCString(code).addString('M').addCString(message).addCString('');
    return this.writer.flush(CODE.notice);
  }
}
