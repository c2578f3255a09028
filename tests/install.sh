#!/bin/sh
# make install honours DESTDIR and PREFIX: binary, reaperctl link, man page.
# Prints one line per check and "install: N passed, N failed" last.
pass=0; fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
no() { echo "not ok - $1"; fail=$((fail + 1)); }

dest=$(mktemp -d) || exit 1
trap 'rm -rf "$dest"' EXIT
if make -s install DESTDIR="$dest" PREFIX=/opt/rp >"$dest.log" 2>&1; then
	ok "make install runs"
else
	no "make install runs: $(tail -n 3 "$dest.log")"
fi
rm -f "$dest.log"
r=$dest/opt/rp/sbin/reaper
if [ -x "$r" ] && "$r" -V | grep -q '^reaper '; then ok "binary in PREFIX/sbin"; else no "binary in PREFIX/sbin"; fi
if [ "$(readlink "$dest/opt/rp/sbin/reaperctl")" = reaper ]; then ok "reaperctl symlink beside it"; else no "reaperctl symlink beside it"; fi
if [ -f "$dest/opt/rp/share/man/man8/reaper.8" ]; then ok "man page in PREFIX/share/man/man8"; else no "man page in PREFIX/share/man/man8"; fi
if [ -f "$dest/opt/rp/share/man/man8/reaperctl.8" ]; then ok "reaperctl.8 in PREFIX/share/man/man8"; else no "reaperctl.8 in PREFIX/share/man/man8"; fi
if [ -f "$dest/opt/rp/share/man/man5/reaper.conf.5" ]; then ok "reaper.conf.5 in PREFIX/share/man/man5"; else no "reaper.conf.5 in PREFIX/share/man/man5"; fi
if file "$r" 2>/dev/null | grep -q 'statically linked' || ! grep -q 'ld-linux\|ld-musl' "$r"; then ok "binary is static"; else no "binary is static"; fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
