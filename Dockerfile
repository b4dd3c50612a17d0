# Builds the web app (with its npm front-end packages) and runs it on the ASP.NET runtime image.
# Used by docker-compose.yml; not exercised in CI (the build machines have no Docker engine).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/WorkflowOrders.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY workflows /app/workflows
ENV ASPNETCORE_URLS=http://+:8080 \
    WorkflowOrders__WorkflowsDirectory=/app/workflows
EXPOSE 8080
ENTRYPOINT ["dotnet", "WorkflowOrders.Web.dll"]
