-- wrk script: POSTs a different review to /v1/sentiment on each request, so the tokenizer and the model see varied
-- input, and counts the non-200 answers by status.
local reviews = {
  "the battery lasts all day and the screen is sharp",
  "stopped charging after a week, support never answered",
  "fast shipping, fair price, works exactly as described",
  "the worst purchase I have made this year",
  "my kids love it and it survived being dropped twice",
  "the manual is useless but the product itself is great",
  "sound quality is fine for the price, nothing special",
  "arrived broken and the replacement was broken too",
}

local bodies = {}
for i, review in ipairs(reviews) do
  bodies[i] = '{"text":"' .. review .. '"}'
end

local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
end
