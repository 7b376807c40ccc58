using Actors.Api.Hosting;

var app = ApiApp.Build(args);
await app.RunAsync();
