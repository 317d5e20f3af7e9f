/**
 * @zk/protocol: the ZooKeeper 3.8 client wire protocol (jute), byte for byte.
 * @packageDocumentation
 */

export {
  OpCode,
  ErrorCode,
  ERROR_MESSAGES,
  EventType,
  KeeperState,
  WatcherType,
  AddWatchMode,
  CreateMode,
  Perms,
  Xid,
  PROTOCOL_VERSION,
  PASSWORD_LENGTH,
  DEFAULT_JUTE_MAXBUFFER,
  CONTAINER_EPHEMERAL_OWNER,
} from './constants.js';

// Record types that have no codec of their own (the codecs below double as types).
export type { Txn, TxnEntry, MultiOp, MultiResult } from './types.js';

export type { Codec } from './codec.js';
export { JuteWriter } from './writer.js';
export { JuteReader, defaultMaxFieldLength } from './reader.js';
export type { JuteReaderOptions } from './reader.js';
export {
  JuteDecodeError,
  JuteEncodeError,
  UnknownOpCodeError,
  FrameLengthError,
  isJuteDecodeError,
  isFrameLengthError,
} from './errors.js';
export { encodeJavaUtf8, decodeJavaUtf8, encodedLength } from './utf8.js';

// Record codecs (each name is both a type and a Codec value).
export {
  Id,
  ACL,
  Stat,
  STAT_SIZE,
  StatPersisted,
  ClientInfo,
  ConnectRequest,
  ConnectResponse,
  RequestHeader,
  ReplyHeader,
  MultiHeader,
  AuthPacket,
  WatcherEvent,
  SetWatches,
  SetWatches2,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  ExistsRequest,
  GetDataRequest,
  SetDataRequest,
  GetACLRequest,
  SetACLRequest,
  GetChildrenRequest,
  GetChildren2Request,
  SyncRequest,
  CheckVersionRequest,
  GetAllChildrenNumberRequest,
  GetEphemeralsRequest,
  AddWatchRequest,
  CheckWatchesRequest,
  RemoveWatchesRequest,
  ReconfigRequest,
  GetSASLRequest,
  CreateResponse,
  Create2Response,
  ExistsResponse,
  GetDataResponse,
  SetDataResponse,
  GetACLResponse,
  SetACLResponse,
  GetChildrenResponse,
  GetChildren2Response,
  SyncResponse,
  GetAllChildrenNumberResponse,
  GetEphemeralsResponse,
  WhoAmIResponse,
  SetSASLResponse,
  ErrorResponse,
  TxnHeader,
  TxnDigest,
  CreateTxn,
  CreateContainerTxn,
  CreateTTLTxn,
  DeleteTxn,
  SetDataTxn,
  CheckVersionTxn,
  SetACLTxn,
  CreateSessionTxn,
  CloseSessionTxn,
  ErrorTxn,
} from './records.js';

export {
  MultiRequest,
  MultiResponse,
  writeMultiRequest,
  readMultiRequest,
  writeMultiResponse,
  readMultiResponse,
  encodeMultiRequest,
  decodeMultiRequest,
  encodeMultiResponse,
  decodeMultiResponse,
} from './multi.js';

export { writeTxnBody, readTxnBody, writeTxnEntry, encodeTxnEntry, decodeTxnEntry, isTxnType } from './txn.js';
export type { DecodeTxnOptions } from './txn.js';

export {
  requestCodec,
  responseCodec,
  decodeRequestBody,
  encodeRequest,
  decodeResponseBody,
  writeReply,
  encodeReply,
  writeNotification,
  readReplyHeader,
  readRequestHeader,
} from './requests.js';
export type { ClientRequest, ClientOpCode, RequestOf, ClientResponse, ResponseOf } from './requests.js';

export {
  FrameDecoder,
  beginFrame,
  endFrame,
  writeFrame,
  encodeFrame,
  FOUR_LETTER_WORDS,
  type FourLetterWord,
  TELNET_CLOSE_CMD,
  fourLetterWord,
} from './frame.js';
export type { FrameDecoderOptions } from './frame.js';

export { errorName, errorMessage, keeperErrorMessage, isKnownErrorCode } from './error-codes.js';
