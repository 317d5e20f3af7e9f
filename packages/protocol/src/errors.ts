// Typed errors thrown by the codecs and the frame decoder. Each carries a stable `code` string
// so callers can branch without `instanceof` (which breaks across duplicate package copies).

/** Thrown when bytes cannot be decoded as the jute record that was expected. */
export class JuteDecodeError extends Error {
  override readonly name: string = 'JuteDecodeError';
  readonly code = 'JUTE_DECODE' as const;
  /** What was being read, e.g. "CreateRequest.path" or "int". */
  readonly what: string;
  /** Byte offset (within the reader's buffer) where the failing read started. */
  readonly offset: number;

  constructor(message: string, what: string, offset: number) {
    super(`${message} (reading ${what} at offset ${offset})`);
    this.what = what;
    this.offset = offset;
  }
}

/** A request or reply named an opcode this package has no record for. */
export class UnknownOpCodeError extends JuteDecodeError {
  override readonly name: string = 'UnknownOpCodeError';
  readonly opCode: number;

  constructor(opCode: number, what: string, offset: number) {
    super(`unknown or unsupported opcode ${opCode}`, what, offset);
    this.opCode = opCode;
  }
}

/** A length prefix that ZooKeeper would refuse: negative, or above jute.maxbuffer. */
export class FrameLengthError extends Error {
  override readonly name = 'FrameLengthError';
  readonly code = 'FRAME_LENGTH' as const;
  readonly length: number;
  readonly maxLength: number;

  constructor(length: number, maxLength: number) {
    super(
      length < 0
        ? `frame length ${length} is negative`
        : `frame length ${length} exceeds the limit of ${maxLength} bytes (jute.maxbuffer)`,
    );
    this.length = length;
    this.maxLength = maxLength;
  }
}

/** A value cannot be written as the jute type it was declared as (e.g. a long out of range). */
export class JuteEncodeError extends Error {
  override readonly name = 'JuteEncodeError';
  readonly code = 'JUTE_ENCODE' as const;
}

export function isJuteDecodeError(e: unknown): e is JuteDecodeError {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'JUTE_DECODE';
}

export function isFrameLengthError(e: unknown): e is FrameLengthError {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'FRAME_LENGTH';
}
