-- The wrk script of ops/bench. Each request picks a random line of the file BENCH_LINES:
--   BENCH_KIND=get       a path to GET
--   BENCH_KIND=post-zaak a zaaktype URL: POST /zaken/api/v1/zaken of a new zaak of it
--   BENCH_KIND=post-status "zaak-url statustype-url": POST /zaken/api/v1/statussen
--   BENCH_KIND=graphql   a zaak uuid: the zaak with statussen, rollen and resultaat
--   BENCH_KIND=burger    a BSN: the citizen picture (issue 18), burger(bsn) with its partijen
--                        and their parts, klantcontacten and internetaken, and its zaken
-- Prints one line for ops/bench: RESULT requests/s p50_ms p99_ms errors requests
local kind = os.getenv("BENCH_KIND")
local lines = {}
for line in io.lines(os.getenv("BENCH_LINES")) do
    lines[#lines + 1] = line
end
local today = os.date("!%Y-%m-%d")

wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Accept-Crs"] = "EPSG:4326"
wrk.headers["Content-Crs"] = "EPSG:4326"
wrk.headers["Content-Type"] = "application/json"

function init(args)
    -- Each thread its own sequence: the address of a fresh table differs per thread.
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local function pick()
    return lines[math.random(#lines)]
end

local ZAAK = '{"bronorganisatie":"517439943","verantwoordelijkeOrganisatie":"517439943",'
    .. '"zaaktype":"%s","startdatum":"%s","omschrijving":"Benchmark",'
    .. '"vertrouwelijkheidaanduiding":"openbaar"}'
-- datumStatusGezet: a random second of the past day, so two statussen of one zaak
-- (unique per moment) practically never collide.
local STATUS = '{"zaak":"%s","statustype":"%s","datumStatusGezet":"%s"}'
local GRAPHQL = '{"query":"{ zaak(uuid: \\"%s\\") { url statussen { url statustype } '
    .. 'rollen { url roltype betrokkeneType } resultaat { url resultaattype } } }"}'
local BURGER = '{"query":"{ burger(bsn: \\"%s\\") { partijen { url digitaleAdressen { adres } '
    .. 'rekeningnummers { iban } klantcontacten { url kanaal } internetaken { url status } } '
    .. 'zaken { url } } }"}'

function request()
    if kind == "post-zaak" then
        return wrk.format("POST", "/zaken/api/v1/zaken", nil, string.format(ZAAK, pick(), today))
    elseif kind == "post-status" then
        local zaak, statustype = pick():match("^(%S+) (%S+)$")
        local moment = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - math.random(60, 86400))
        return wrk.format("POST", "/zaken/api/v1/statussen", nil,
            string.format(STATUS, zaak, statustype, moment))
    elseif kind == "graphql" then
        return wrk.format("POST", "/graphql", nil, string.format(GRAPHQL, pick()))
    elseif kind == "burger" then
        return wrk.format("POST", "/graphql", nil, string.format(BURGER, pick()))
    end
    return wrk.format("GET", pick())
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        e.connect + e.read + e.write + e.status + e.timeout, summary.requests))
end
