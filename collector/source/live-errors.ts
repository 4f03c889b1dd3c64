/**
 * Why a live capture could not start, in words a user can act on. libpcap (through `cap`)
 * reports failures as free text (pcap_geterr); these functions sort the common ones and
 * add what to do about them.
 */

export type CaptureProblem =
  | 'permission'
  | 'libpcap-missing'
  | 'binding-missing'
  | 'no-such-device'
  | 'device-down'
  | 'bad-filter'
  | 'other';

export class CaptureStartError extends Error {
  constructor(readonly problem: CaptureProblem, message: string) {
    super(message);
    this.name = 'CaptureStartError';
  }
}

/** How to let a non-root user capture: file capabilities on the node binary (capabilities(7)). */
export const GRANT_CAPTURE_HINT =
  'run sipscope as root, or grant node the capture capabilities once with: ' +
  'sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))';

/** `cap` could not be loaded: the shared library or the compiled binding is missing. */
export function explainLoadFailure(error: string): CaptureStartError {
  if (/libpcap/i.test(error)) {
    return new CaptureStartError(
      'libpcap-missing',
      `live capture needs libpcap, which could not be loaded (${error}); install it ` +
        '(Debian/Ubuntu: apt install libpcap0.8, Fedora/RHEL: dnf install libpcap, Alpine: apk add libpcap)',
    );
  }
  return new CaptureStartError(
    'binding-missing',
    `live capture needs the 'cap' package's compiled libpcap binding, which could not be loaded (${error}); ` +
      "reinstall it with libpcap's development files and a C++ toolchain present (apt install libpcap-dev build-essential; npm rebuild cap)",
  );
}

/** `open()` failed with libpcap's text `error` for `device` and `filter`. */
export function explainOpenFailure(error: string, device: string, filter: string): CaptureStartError {
  if (/not permitted|permission|EPERM|EACCES/i.test(error)) {
    return new CaptureStartError('permission', `capturing on ${device} is not permitted (${error}): ${GRANT_CAPTURE_HINT}`);
  }
  if (/no such device/i.test(error)) {
    return new CaptureStartError('no-such-device', `there is no interface named '${device}' (${error}); run sipscope capture without -i to list them`);
  }
  if (/not up/i.test(error)) {
    return new CaptureStartError('device-down', `interface ${device} is down (${error}); bring it up (ip link set ${device} up) or choose another`);
  }
  if (filter !== '' && !error.startsWith('Unable to')) {
    return new CaptureStartError('bad-filter', `libpcap rejected the capture filter '${filter}': ${error} (see man pcap-filter)`);
  }
  return new CaptureStartError('other', `cannot capture on ${device}: ${error}`);
}
