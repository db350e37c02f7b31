-- wrk script: POST one new complaint per request (bench/server.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("FH_BENCH_TOKEN")
wrk.body = [[{"org": "bct", "kind": "complaint", "channel": "online_form",
  "received_on": "2026-11-20", "summary": "Benchmark: contact cancelled at short notice",
  "details": "Recorded by the server benchmark.",
  "parties": [{"role": "complainant", "relationship": "parent", "consent": "given",
    "consent_on": "2026-11-20", "person": {"given_name": "Bench", "family_name": "Mark",
    "email": "bench@example.org", "address": "1 High Street", "postcode": "B1 1AA"}},
   {"role": "child", "child_status": "looked_after",
    "person": {"given_name": "Young", "family_name": "Mark", "date_of_birth": "2012-05-01"}}],
  "points": [{"summary": "Contact cancelled twice", "desired_outcome": "Contact restored"}]}]]

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
