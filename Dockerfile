FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# espeak-ng and sox speak the IVR's prompts (`hotline ivr prompts`)
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY hotline ./hotline
COPY migrations ./migrations
COPY config ./config
RUN pip install -e .
EXPOSE 8000
CMD ["hotline", "api", "--host", "0.0.0.0"]
