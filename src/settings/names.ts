// How a setting path reads in evidence and reasons: ['kernel', 'sysctl', 'net.ipv4.ip_forward'] →
// settings.kernel.sysctl."net.ipv4.ip_forward". One spelling for the engine and for facts that name settings.

export function settingPath(path: readonly string[]): string {
  return 'settings.' + path.map((p) => (/^[\w-]+$/.test(p) ? p : `"${p}"`)).join('.');
}
