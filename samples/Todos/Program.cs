System.Console.WriteLine("todos");
