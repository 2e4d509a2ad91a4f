#!/bin/sh
# One-shot: the namespace (30-day retention) and the search attributes the workflows are listed by.
# Idempotent: existing ones are left as they are. The API also checks them at each start.
set -eu
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; do sleep 2; done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1 ||
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --retention 30d
for attribute in InterventionStatus Priority ClientId TechnicianId TicketNumber; do
  temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --name "$attribute" --type Keyword --yes ||
    echo "search attribute $attribute already exists"
done
