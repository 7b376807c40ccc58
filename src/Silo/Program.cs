using Actors.Silo.Hosting;

var app = SiloApp.Build(args);
await SiloApp.StartAsync(app);
await app.WaitForShutdownAsync();
