#!/bin/sh
# The MariaDB tests (warehouse planning on a MariaDB source) start a private server from Debian's
# MariaDB binaries: mariadbd and mariadb-install-db (mariadb-server-core) with my_print_defaults
# (mariadb-client-core). The -core packages bring the server without its system service, so nothing
# starts on port 3306. Installs them when missing and this runs as root with apt-get; otherwise
# says how to get them (the tests then fail with the same advice: they are never skipped).
set -eu
if [ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ] && [ -x /usr/bin/my_print_defaults ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-mariadb: installing mariadb-server-core and mariadb-client-core for the MariaDB tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q mariadb-server-core mariadb-client-core >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q mariadb-server-core mariadb-client-core >/dev/null; }
  exit 0
fi
echo "ensure-mariadb: /usr/sbin/mariadbd or /usr/bin/mariadb-install-db is missing; install them with" \
  "'sudo apt-get install mariadb-server-core mariadb-client-core' (or set rowstream.mariadb.bin to a" \
  "folder holding mariadbd, mariadb-install-db and my_print_defaults)" >&2
exit 0
