#!/usr/bin/env bash
# Writes the secrets puented and Kannel share: a Kannel config fragment (kannel.conf includes it,
# puented reads it with channels/sms/gateway_credentials.hpp) with
#   - the sendsms-user puented presents to smsbox, and
#   - the sms-service whose post-url carries the user:password Kannel presents to puented (Kannel
#     sends it as `Authorization: Basic`; puented's SMS routes accept nothing else).
#
#   deploy/kannel/make-credentials.sh /etc/kannel/puente-kannel.conf http://127.0.0.1:8080
#
# The second argument is puented's address as Kannel reaches it. Rotating: run again, restart
# smsbox and puented. The file is made readable by its owner only; give it to the group both
# daemons run as (chgrp) and nobody else.
set -euo pipefail
out=${1:?usage: make-credentials.sh FILE PUENTED_URL}
puented=${2:?usage: make-credentials.sh FILE PUENTED_URL}
umask 077
sendsms_password=$(openssl rand -hex 16)
gateway_password=$(openssl rand -hex 16)
cat >"$out" <<CONF
# Made by deploy/kannel/make-credentials.sh: secrets, never to be logged or committed.
group = sendsms-user
username = puente
password = $sendsms_password
# Texts of up to 2 segments (core/sms_segments: alerts are cut to fit 2).
max-messages = 2
concatenation = true

group = sms-service
keyword = default
catch-all = true
# puented's answer (a confirmation, the help text) is the HTTP answer's body, which smsbox
# texts back to the phone: one segment at most (core/sms_answers keeps each answer to one GSM-7
# segment), none for an empty body (an unknown number, a repeat).
max-messages = 1
omit-empty = true
post-url = "${puented/:\/\//://kannel:$gateway_password@}/v1/sms/inbound?from=%p&to=%P&coding=%c&charset=%C&time=%T&id=%I"
CONF
echo "wrote $out" >&2
