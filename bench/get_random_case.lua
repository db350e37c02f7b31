-- wrk script: GET a different case each time, drawn from the references in
-- FH_BENCH_REFS (one a line), so that the per-worker case cache rarely helps.
local refs = {}
for line in io.lines(os.getenv("FH_BENCH_REFS")) do refs[#refs + 1] = line end
local token = "Bearer " .. os.getenv("FH_BENCH_TOKEN")
math.randomseed(42)
request = function()
  local ref = refs[math.random(#refs)]
  return wrk.format("GET", "/api/v1/cases/" .. ref, {["Authorization"] = token})
end
