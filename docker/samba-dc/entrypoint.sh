#!/bin/sh
# Provision a Samba AD domain on first start, then run samba in the foreground
# with only the LDAP server (what entra2ad needs). Mirrors src/lab/samba-dc.ts.
#
# Environment:
#   REALM           Kerberos realm / DNS domain, upper case (default CORP.EXAMPLE.TEST)
#   DOMAIN          NetBIOS domain name (default CORP)
#   ADMIN_PASSWORD  Administrator password (required; Samba's policy: >= 7 chars, 3 of 4 classes)
#   DC_HOSTNAME     first label of the DC's DNS name (default dc1); the TLS certificate
#                   Samba generates names DC_HOSTNAME.REALM (CN only, no subjectAltName),
#                   so clients verify with private/tls/ca.pem plus that name as servername.
#   LDAP_ADDRESS    the one address samba listens on (default 127.0.0.1). The container
#                   runs with host networking, so this is a host address: keep it on
#                   loopback. Samba binds only to addresses an interface carries, so any
#                   address but 127.0.0.1 must first be added to lo on the host
#                   (ip addr add 127.10.0.5/32 dev lo).
set -eu

: "${REALM:=CORP.EXAMPLE.TEST}"
: "${DOMAIN:=CORP}"
: "${DC_HOSTNAME:=dc1}"
: "${SAMBA_DIR:=/var/lib/samba-dc}"
: "${LDAP_ADDRESS:=127.0.0.1}"

case "$LDAP_ADDRESS" in
  127.*) ;;
  *) echo "entra2ad-samba-dc: LDAP_ADDRESS=$LDAP_ADDRESS is not a loopback address; a lab DC with a known password must not face the network" >&2; exit 2 ;;
esac

if [ -z "${ADMIN_PASSWORD:-}" ]; then
  echo "entra2ad-samba-dc: set ADMIN_PASSWORD" >&2
  exit 2
fi

# Provisioned = the stamp exists. A provision that failed half way (killed, bad
# password) leaves an smb.conf without sam.ldb; that is wiped and done again
# rather than started (samba would stop with "failed to prime database").
if [ ! -f "$SAMBA_DIR/.provisioned" ]; then
  echo "entra2ad-samba-dc: provisioning $REALM into $SAMBA_DIR"
  rm -rf "$SAMBA_DIR/etc" "$SAMBA_DIR/private" "$SAMBA_DIR/state" "$SAMBA_DIR/bind-dns" "$SAMBA_DIR/cache" "$SAMBA_DIR/run"
  mkdir -p "$SAMBA_DIR/run" "$SAMBA_DIR/log"
  # The password goes in as an argument (samba-tool has no file option); it is
  # never echoed here.
  samba-tool domain provision \
    --targetdir="$SAMBA_DIR" \
    --realm="$REALM" \
    --domain="$DOMAIN" \
    --host-name="$DC_HOSTNAME" \
    --server-role=dc \
    --dns-backend=NONE \
    --adminpass="$ADMIN_PASSWORD" \
    --option="pid directory=$SAMBA_DIR/run" \
    --option="log file=$SAMBA_DIR/log/log.%m"
  touch "$SAMBA_DIR/.provisioned"
fi

echo "entra2ad-samba-dc: starting samba (LDAPS on $LDAP_ADDRESS:636)"
# Foreground, logging to stdout (docker logs). Not -i: interactive samba quits
# on EOF of stdin, and a container's stdin is /dev/null.
exec samba --foreground --no-process-group --debug-stdout -M single \
  -s "$SAMBA_DIR/etc/smb.conf" --option="server services=ldap" \
  --option="interfaces=$LDAP_ADDRESS" --option="bind interfaces only=yes"
