# The README's test command is `make test`; .ci/run calls it on a clean clone.
GO ?= go
BENCHTIME ?= 1x
COUNT ?= 6

.PHONY: all generate check-generate lint-spec vet test bench

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

## test: everything CI checks
test: check-generate lint-spec vet
	$(GO) test -race -count=1 ./...

## bench: the performance benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count $(COUNT) ./...
