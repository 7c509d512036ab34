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
set -eu

: "${REALM:=CORP.EXAMPLE.TEST}"
: "${DOMAIN:=CORP}"
: "${DC_HOSTNAME:=dc1}"
: "${SAMBA_DIR:=/var/lib/samba-dc}"

if [ -z "${ADMIN_PASSWORD:-}" ]; then
  echo "entra2ad-samba-dc: set ADMIN_PASSWORD" >&2
  exit 2
fi

if [ ! -f "$SAMBA_DIR/etc/smb.conf" ]; then
  echo "entra2ad-samba-dc: provisioning $REALM into $SAMBA_DIR"
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
fi

echo "entra2ad-samba-dc: starting samba (LDAPS on 636)"
# Foreground, logging to stdout (docker logs). Not -i: interactive samba quits
# on EOF of stdin, and a container's stdin is /dev/null.
exec samba --foreground --no-process-group --debug-stdout -M single \
  -s "$SAMBA_DIR/etc/smb.conf" --option="server services=ldap"
