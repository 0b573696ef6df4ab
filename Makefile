# The README's test command is `make test`; .ci/run calls it on a clean clone.
GO       ?= go
TOOL     := $(GO) tool -modfile=tools/go.mod
COUNT    ?= 6
FUZZTIME ?= 1m

.PHONY: all generate check-generate lint-spec vet lint test bench fuzz soak vulncheck

all: test

## generate: regenerate gen/ from openapi.yaml with the oapi-codegen pinned in go.mod
generate:
	$(GO) generate ./...

## check-generate: fail if gen/ differs from what openapi.yaml generates (new files included)
check-generate:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$$tmp"/ 2>/dev/null; \
	rm -rf "$$tmp/gen"; \
	(cd "$$tmp" && $(GO) generate ./...) || exit 1; \
	diff -r gen "$$tmp/gen" || { echo "gen/ is out of date: run 'make generate' and commit the result"; exit 1; }

## lint-spec: validate openapi.yaml with kin-openapi (doc.Validate)
lint-spec:
	$(GO) test -count=1 -run 'TestSpec' ./internal/validate/

## vet: go vet
vet:
	$(GO) vet ./...

## lint: golangci-lint (.golangci.yml), pinned in tools/go.mod
lint:
	$(TOOL) golangci-lint run ./...

## test: everything CI checks; replays the fuzz corpora in testdata/fuzz; then the volume tests
## (large_listing_test.go, left out under -race, where they take minutes) without the race detector
test: check-generate lint-spec vet lint
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -run '^TestLarge' .

## bench: the performance benchmarks. P1, P2 and P5 in alternating blocks in one run each
## (BLOCKS pairs; P5_BLOCKS for P5), their figure the median of the block ratios with p25-p75;
## then P3, P4, P1's allocations and P2's parts, COUNT runs each, summarised by benchstat (medians);
## then the bulk benchmarks P6, P7 and P8 once each (P6's per-job side alone takes about 25 s, P8 about 10 s)
BLOCKS    ?= 60
P5_BLOCKS ?= 8
bench:
	$(GO) test -run '^$$' -bench 'P1GetStatusReport|P2Decode' -benchtime $(BLOCKS)x -count 1 . | tee bench-blocks.out
	$(GO) test -run '^$$' -bench 'P5ManyReports' -benchtime $(P5_BLOCKS)x -count 1 . | tee -a bench-blocks.out
	$(GO) test -run '^$$' -bench 'P[34]|P1Allocs|DecodeParts/1000' -benchmem -count $(COUNT) . ./internal/validate | tee bench.out
	$(GO) test -run '^$$' -bench 'P[678]' -benchtime 1x -count 1 . | tee bench-bulk.out
	$(TOOL) benchstat bench.out
	@echo; echo "Block method (median of block ratios, p25-p75; per-call interleaved ratio second):"
	@awk '/^Benchmark/ { delete m; for (i = 3; i < NF; i += 2) m[$$(i+1)] = $$i; \
	  printf "%-36s ratio %s [%s-%s]  interleaved %s  bytes-ratio %s  lib allocs/call %s", $$1, \
	    m["ratio-median"], m["ratio-p25"], m["ratio-p75"], m["interleaved-ratio"], m["bytes-ratio"], m["lib-allocs/call"]; \
	  if ("ideal-ratio-median" in m) printf "  vs ideal %s [%s-%s]", m["ideal-ratio-median"], m["ideal-ratio-p25"], m["ideal-ratio-p75"]; \
	  print "" }' bench-blocks.out

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s $$pkg || exit 1; \
	  done; \
	done

## soak: 10 000 calls from many goroutines against a faxtest region injecting faults, with -race
soak:
	$(GO) test -race -count=1 -tags soak -run '^TestSoak' -timeout 30m -v .

## vulncheck: govulncheck (needs the network to fetch the vulnerability database)
vulncheck:
	$(TOOL) govulncheck ./...
