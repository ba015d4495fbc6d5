# The production image: gunicorn serves Django, whitenoise serves the static files.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
WORKDIR /app
# WeasyPrint draws the Board's PDF report with Pango and needs a font.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir -r requirements/app.lock
COPY . .
COPY --from=assets /app/static/build static/build
COPY --from=assets /app/node_modules/govuk-frontend node_modules/govuk-frontend
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && useradd --system caspa
USER caspa
EXPOSE 8000
CMD ["gunicorn", "caspa.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
