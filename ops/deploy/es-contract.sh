#!/usr/bin/env bash
# Prove the Elasticsearch backend and the Kibana objects against real servers: start a
# single-node Elasticsearch and a Kibana of each version given (default: the newest 8.x and
# 9.x heishi supports) in Docker, run the store contract suite and the cluster tests with
# ES_URL/KIBANA_URL set, import the Kibana objects, then remove the containers.
#
#   ops/deploy/es-contract.sh                 # 8.19.0 and 9.1.0
#   ops/deploy/es-contract.sh 8.9.2           # the oldest supported version
#
# Needs Docker and about 3 GB of memory free; run from the project root after `make test`
# has built .venv. Security is off in these throw-away containers (loopback only).
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSIONS=("$@")
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(8.19.0 9.1.0)
ES_PORT=${ES_PORT:-19200}
KIBANA_PORT=${KIBANA_PORT:-15601}
NET=heishi-contract

wait_for() {  # URL, what, seconds
  for _ in $(seq "$3"); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$2 did not come up at $1 within $3 s" >&2
  return 1
}

cleanup() {
  docker rm -f heishi-contract-es heishi-contract-kibana >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for version in "${VERSIONS[@]}"; do
  echo "== Elasticsearch and Kibana $version"
  cleanup
  docker network create "$NET" >/dev/null
  docker run -d --name heishi-contract-es --network "$NET" -p "127.0.0.1:$ES_PORT:9200" \
    -e discovery.type=single-node -e xpack.security.enabled=false \
    -e ES_JAVA_OPTS="-Xms1g -Xmx1g" \
    "docker.elastic.co/elasticsearch/elasticsearch:$version" >/dev/null
  docker run -d --name heishi-contract-kibana --network "$NET" \
    -p "127.0.0.1:$KIBANA_PORT:5601" -e ELASTICSEARCH_HOSTS=http://heishi-contract-es:9200 \
    "docker.elastic.co/kibana/kibana:$version" >/dev/null
  wait_for "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow" Elasticsearch 180
  wait_for "http://127.0.0.1:$KIBANA_PORT/api/status" Kibana 300
  ES_URL="http://127.0.0.1:$ES_PORT" KIBANA_URL="http://127.0.0.1:$KIBANA_PORT" \
    .venv/bin/pytest -q -rs tests/index/test_store_contract.py tests/index/test_elastic_cluster.py \
    tests/index/test_kibana_live.py
  .venv/bin/heishi kibana install --url "http://127.0.0.1:$KIBANA_PORT" --prefix heishi-contract
done
