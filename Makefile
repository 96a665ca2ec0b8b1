# Một Cửa — developer entry points. `make demo` runs the site; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MOTCUA := $(VENV)/bin/motcua
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/motcua
NATIONAL_DATA ?= ../shared/data/procedures
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: all install demo serve test test-sqlite test-postgres lint format bench clean

all: install

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

demo: install
	bash scripts/ensure-packages.sh libharfbuzz-subset0
	$(MOTCUA) migrate --noinput -v 0
	$(MOTCUA) import-divisions
	@if [ -d "$(NATIONAL_DATA)" ]; then \
	  echo "Nhập danh mục thủ tục quốc gia từ $(NATIONAL_DATA) …"; \
	  $(MOTCUA) import-procedures "$(NATIONAL_DATA)"; \
	else echo "Không có $(NATIONAL_DATA): chỉ dùng danh mục khởi tạo."; fi
	$(MOTCUA) demo-org
	$(MOTCUA) demo-catalogue
	@echo ""
	@echo "Một Cửa đang chạy / is running:"
	@echo "  Trang chủ / Home:        http://$(HOST):$(PORT)/"
	@echo "  Thủ tục / Procedures:    http://$(HOST):$(PORT)/thu-tuc-hanh-chinh/"
	@echo "  Ki-ốt / Kiosk:           http://$(HOST):$(PORT)/kiosk/"
	@echo "  Tra cứu hồ sơ / Track:   http://$(HOST):$(PORT)/tra-cuu/"
	@echo "  Cán bộ / Staff:          http://$(HOST):$(PORT)/can-bo/dang-nhap/"
	@echo "  Thống kê / Statistics:   http://$(HOST):$(PORT)/thong-ke/"
	@echo "  Xác thực / Verify:       http://$(HOST):$(PORT)/xac-thuc/"
	@echo "  Quản trị / Admin:        http://$(HOST):$(PORT)/quan-tri/"
	@echo "  API (OpenAPI):           http://$(HOST):$(PORT)/api/docs"
	@echo "  Tình trạng / Health:     http://$(HOST):$(PORT)/healthz"
	@echo "  (Ctrl+C để dừng / to stop)"
	@echo "  Tác vụ nền / Background worker: motcua db_worker (var/worker.log)"
	@mkdir -p var; $(MOTCUA) db_worker > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MOTCUA) runserver $(HOST):$(PORT)

test: install
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== Tests on SQLite =="
	bash scripts/ensure-packages.sh
	env -u DATABASE_URL $(PY) -m pytest -q

test-postgres: install
	@echo "== Tests on PostgreSQL =="
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-packages.sh
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check src tests bench

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format src tests bench

# Scripts that measure on the dossier data set keep it for the next one (it is generated once);
# the last step drops it.
bench: install
	@for f in bench/bench_*.py; do echo "== $$f =="; \
	  if grep -q '"--keep"' $$f; then $(PY) $$f --keep || exit 1; else $(PY) $$f || exit 1; fi; \
	done; $(PY) bench/bench_db.py --drop

clean:
	rm -rf $(VENV) var .pytest_cache
