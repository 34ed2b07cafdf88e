#!/usr/bin/env bash
# How schema/ was made: the local org's schema, pulled with sf-describe. Run from the repository root:
#   bash samples/Quickstart/pull-schema.sh
# Against a real org, run only the pull with your connection (for example --target-org my-alias).
set -euo pipefail
port=18555
dotnet build src/Sdk.Emulator -c Release -nologo -v q
dotnet build src/Sdk.Cli.Describe -c Release -nologo -v q
dotnet src/Sdk.Emulator/bin/Release/net10.0/Sdk.Emulator.dll --port "$port" > /dev/null &
org=$!
trap 'kill -TERM "$org"; wait "$org" || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/services/data" > /dev/null && break; sleep 0.2; done
SF_LOGIN_URL="http://127.0.0.1:$port" SF_CLIENT_ID=local-client-id SF_CLIENT_SECRET=local-client-secret \
SF_USERNAME=admin@local.org SF_PASSWORD=local-password \
  dotnet src/Sdk.Cli.Describe/bin/Release/net10.0/sf-describe.dll pull \
  --objects Account,Contact,Opportunity,User,Invoice__c --out samples/Quickstart/schema
