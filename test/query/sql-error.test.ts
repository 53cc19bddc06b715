// How DuckDB's errors on the analysts' connections reach them: code, status and where in the text it stopped.
import { describe, expect, it } from 'vitest';
import { sqlError } from '../../engine/query/sql-error.ts';

const duck = (fields: Record<string, string>): Error => new Error(JSON.stringify(fields));

describe('sqlError', () => {
  it('places a parser error by characters, not UTF-8 bytes', () => {
    const sql = "SELECT 'Hoàn Kiếm' FORM x";
    const bytes = Buffer.byteLength("SELECT 'Hoàn Kiếm' ", 'utf8');
    const e = sqlError(
      duck({ exception_type: 'Parser', exception_message: 'syntax error at or near "FORM"', position: String(bytes) }),
      sql,
    );
    expect([e.code, e.status]).toEqual(['sql_error', 400]);
    expect(e.details).toMatchObject({
      position: "SELECT 'Hoàn Kiếm' ".length,
      line: 1,
      column: "SELECT 'Hoàn Kiếm' ".length + 1,
    });
  });

  it('tells a memory stop from a time stop and from a refusal', () => {
    const oom = sqlError(
      duck({ exception_type: 'Out of Memory', exception_message: 'failed to allocate data of size 512.0 MiB' }),
      'SELECT 1',
    );
    expect([oom.code, oom.status]).toEqual(['too_large', 413]);
    expect(oom.message).toMatch(/memory.*filter or aggregate/);
    expect(sqlError(duck({ exception_type: 'INTERRUPT', exception_message: 'Interrupted!' }), 'SELECT 1').code).toBe(
      'timeout',
    );
    expect(
      sqlError(duck({ exception_type: 'Permission', exception_message: 'file system disabled' }), 'SELECT 1').status,
    ).toBe(403);
  });
});
