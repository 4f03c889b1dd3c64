/**
 * Matching keys for transactions and dialogs, built from RFC fields only (never from
 * addresses: a message seen at two capture points must land on the same key).
 */
import type { Via } from '../sip/types.js';

/** RFC 3261 §8.1.1.7: a branch starting with this cookie was built by an RFC 3261 element. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export function hasMagicCookie(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(BRANCH_MAGIC_COOKIE);
}

/**
 * The fields of one message that identify its transaction. The method is passed beside them:
 * the method the transaction was created for (INVITE for the ACK of a non-2xx response).
 */
export interface TransactionKeyFields {
  callId: string;
  /** Top Via of the message (the hop this transaction runs on). */
  topVia: Via | undefined;
  cseq: number;
  fromTag: string | undefined;
}

/** RFC 3261 §18.1.1/§19.1.2: a sent-by without a port means the transport's default port. */
function defaultPort(transport: string): number {
  return transport === 'TLS' || transport === 'WSS' ? 5061 : 5060;
}

/** The host of a Via's sent-by as compared: case-insensitive (RFC 3261 §19.1.4 compares hosts so). */
export function sentByHost(via: Via): string {
  return via.host.toLowerCase();
}

/** The port of a Via's sent-by as compared: the transport's default made explicit. */
export function sentByPort(via: Via): number {
  return via.port ?? defaultPort(via.transport.toUpperCase());
}

/** The sent-by of a Via as compared: host case-insensitive, the default port made explicit. */
function sentBy(via: Via): string {
  return `${sentByHost(via)}:${sentByPort(via)}`;
}

/**
 * RFC 3261 §17.1.3 / §17.2.3: with the magic cookie, a message matches a transaction when
 * "the branch parameter in the request is equal to the one in the top Via header field of the
 * request that created the transaction", "the sent-by value in the top Via of the request is
 * equal to the one in the request that created the transaction" and the method matches
 * (CANCEL and the INVITE it cancels share a branch but are two transactions).
 * The Call-ID and CSeq number are added: they are equal in every message of a transaction
 * (§8.1.1.5, §9.1, §17.1.1.3) and keep a reused branch from merging two transactions.
 *
 * Without the cookie, the RFC 2543 rules of §17.2.3 apply: the transaction is matched by
 * "Request-URI, To tag, From tag, Call-ID, CSeq, and top Via". Responses carry no Request-URI
 * and the To tag appears only with the first response, so the key keeps the fields every
 * message of the transaction shares: Call-ID, CSeq, From tag and the whole top Via.
 */
export function transactionKey(f: TransactionKeyFields, method: string): string {
  const via = f.topVia;
  if (via !== undefined && hasMagicCookie(via.branch)) {
    return `b|${f.callId}|${via.branch}|${sentBy(via)}|${method}|${f.cseq}`;
  }
  const viaText = via === undefined ? '' : `${via.transport}/${sentBy(via)};${via.branch ?? ''}`;
  return `l|${f.callId}|${f.cseq}|${method}|${f.fromTag ?? ''}|${viaText}`;
}

/**
 * RFC 3261 §17.1.3, the client's rule: a response matches "if the response has the same value
 * of the branch parameter in the top Via header field as the branch parameter in the top Via
 * header field of the request that created the transaction" and "the method parameter in the
 * CSeq header field matches the method of the request" — sent-by is not compared. Used when the
 * server's rule (transactionKey) finds nothing, e.g. a NAT rewrote the sent-by of the response.
 * Undefined without the magic cookie.
 */
export function clientMatchKey(f: TransactionKeyFields, method: string): string | undefined {
  const branch = f.topVia?.branch;
  return hasMagicCookie(branch) ? `c|${f.callId}|${branch}|${method}|${f.cseq}` : undefined;
}

/**
 * A dialog is "identified by a call identifier, local tag, and a remote tag" (RFC 3261 §12).
 * An observer has no local side: the two tags are taken as an unordered pair, so requests in
 * both directions find the same dialog.
 */
export function dialogKey(callId: string, tagA: string | undefined, tagB: string | undefined): string {
  const a = tagA ?? '';
  const b = tagB ?? '';
  return a <= b ? `${callId}|${a}|${b}` : `${callId}|${b}|${a}`;
}
